from tests.accounts.staff_world import world  # noqa: F401  (the account management tests' world)
