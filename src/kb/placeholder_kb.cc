// placeholder: replaced by the kb implementation
