// placeholder: replaced by the evidence implementation
