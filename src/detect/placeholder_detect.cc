// placeholder: replaced by the detect implementation
