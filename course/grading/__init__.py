"""``course grade``: safe, parallel, resumable autograding on top of nbgrader's gradebook.

Pipeline (one small module per step):
  importer   folder or LMS zip -> autograder/submitted/<learner>/<chapter>/<chapter>.ipynb
  assemble   trusted source notebook + the learner's answer cells -> the notebook to run
  sandbox    the kernel's command line: bubblewrap + resource limits
  runner     executes the assembled notebook cell by cell, guards the graded cells, scores them
  store      writes scores into nbgrader's gradebook; per-submission state for resumability
  feedback   per-learner HTML without hidden test code
  reports    grades CSV, LMS CSV, class report with pass rates and a histogram
"""
