// placeholder: replaced by the audit implementation
