def user_display(user) -> str:
    """How allauth names a user in its messages: the e-mail address, not the user name
    (people sign in by e-mail address and never see their user name)."""
    return user.email or user.get_full_name() or "your account"


def person_name(user) -> str:
    """How a page names who did something: their name, or their user name when they
    gave none; an erased account is "a former user" (its name says so)."""
    return user.get_full_name() or user.get_username()
