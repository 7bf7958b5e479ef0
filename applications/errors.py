from django.core.exceptions import ValidationError


class ApplicationError(ValidationError):
    """A state change that cannot be made; its message is shown to the user as it is."""


class StaleRevision(ApplicationError):
    pass


class NotEditable(ApplicationError):
    pass


class DeadlinePassed(ApplicationError):
    pass


class AlreadySubmitted(ApplicationError):
    pass


class Incomplete(ApplicationError):
    def __init__(self, message, problems):
        super().__init__(message)
        self.problems = problems
