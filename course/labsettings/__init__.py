"""Settings for the JupyterLab the course starts: the learner's (`course lab`) and the
instructor's (`course formgrader`). Each subfolder is a Jupyter configuration
directory, put first on JUPYTER_CONFIG_PATH by the command that starts that lab
(so nothing in the user's own Jupyter configuration is changed)."""
