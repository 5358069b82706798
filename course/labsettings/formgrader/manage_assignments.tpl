{#- nbgrader's Manage Assignments page without its exchange warning, which
    does not apply to this course: learners get notebooks/ through git or
    the LMS and submissions are placed by `course grade import`. -#}
{%- extends 'nbgrader/manage_assignments.tpl' -%}
{%- set exchange_missing = False -%}
{%- block messages -%}
{{ super() }}
<div class="alert alert-info" id="course-no-exchange">
This course does not use nbgrader's exchange, so there is no release or
collect button: learners get the notebooks in <code>notebooks/</code> (git or
your LMS), and <code>course grade all SUBMISSIONS</code> imports, grades and
reports; graded submissions appear here for manual grading and feedback.
</div>
{%- endblock -%}
