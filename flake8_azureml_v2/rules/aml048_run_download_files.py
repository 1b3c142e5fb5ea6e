"""AML048: ``run.download_file()`` / ``run.download_files()`` on a v1 run."""

from ._matchers import method_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML048",
    name="run-download-files",
    family=Family.RUNS,
    v1="run.download_file(s)()",
    v2="ml_client.jobs.download(job_name, download_path=..., output_name=...)",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    fixed_with="AML001",
    detect=method_calls("azureml.core.Run", "download_file", "download_files"),
    message=(
        "run.download_file()/download_files() is Azure ML SDK v1; use "
        "ml_client.jobs.download(job_name, download_path=..., output_name=...)"
    ),
    why=(
        "ml_client.jobs.download fetches a job's outputs or logs (all=True for everything) "
        "into a local folder; it downloads by output, not by single file name. For one "
        "artifact, mlflow.artifacts.download_artifacts(run_id=, artifact_path=) is closer."
    ),
    example="run.download_file('outputs/model.pkl', output_file_path='model.pkl')",
    use_instead="ml_client.jobs.download(returned_job.name, download_path='.', output_name='model')",
)
