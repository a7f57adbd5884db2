"""The one error a damaged or foreign model file raises."""


class ModelFormatError(ValueError):
    """A model file that is not what it claims: the message names the file, the section and what is wrong."""
