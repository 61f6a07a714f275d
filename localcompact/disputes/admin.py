"""No admin pages for cases: they are confidential to the people the procedure involves,
and staff are not among them."""
