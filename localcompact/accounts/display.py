def user_display(user) -> str:
    """How allauth names a user in its messages: the e-mail address, not the user name
    (people sign in by e-mail address and never see their user name)."""
    return user.email or user.get_full_name() or "your account"
