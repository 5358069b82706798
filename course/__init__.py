"""Deep learning from scratch: course tooling and learner helpers.

The package holds the ``course`` command line (release, validate, lab, grade)
and the helpers a chapter imports (``checks``, ``data``, ``plotting``,
``kerasenv``). It never holds the answers to exercises.
"""

__version__ = "0.1.0"
