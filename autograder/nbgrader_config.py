# The instructor's nbgrader configuration for this course.
#
# Run nbgrader from this folder (`cd autograder && nbgrader ...`) or use the
# `course` command. Source notebooks are read from ../solutions and learner
# versions are released into ../notebooks; the gradebook is gradebook.db here
# (SQLite, nbgrader's default). Any SQLAlchemy URL works instead, e.g.
#     c.CourseDirectory.db_url = "postgresql://user@host/gradebook"
from pathlib import Path

from course.nbgrader_settings import configure

c = get_config()  # noqa: F821 (provided by nbgrader)
configure(c, Path(__file__).resolve().parent)
