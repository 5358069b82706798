# nbgrader settings of the instructor's JupyterLab (`course formgrader`) only,
# on top of autograder/nbgrader_config.py: nbgrader's exchange, which this
# course does not use, is reported as absent without a log line on every
# formgrader request (course.labsettings.formgrader.NoExchangeList).
c = get_config()  # noqa: F821 (provided by nbgrader)
c.ExchangeFactory.list = "course.labsettings.formgrader.NoExchangeList"
