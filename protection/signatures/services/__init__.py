"""Services of the signatures app: keys and key records, receipts, signed roots, decisions, evidence."""
