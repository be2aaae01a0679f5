"""Services: the use cases behind each endpoint; they own transactions, authorization and policy."""
