"""In-job code (training and step scripts): the v1 ``Run`` becomes MLflow.

Inside a job the v1 run is the variable assigned ``Run.get_context()``; each
module here rewrites one kind of call on it, and ``_shared`` holds what they
have in common (finding the run, editing calls in place, the logging helpers).
"""
