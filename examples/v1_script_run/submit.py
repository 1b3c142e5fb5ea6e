"""A small SDK v1 orchestration script, written for the flake8-azureml-v2 demo.

Run `azureml-v2 check examples/` to see every v1 construct reported, and
`azureml-v2 fix --unsafe-fixes --diff examples/v1_script_run/submit.py` to see
the SDK v2 program the fixer writes.
"""

from azureml.core import Dataset, Environment, Experiment, ScriptRunConfig, Workspace
from azureml.data import OutputFileDatasetConfig

# connect to the workspace described by config.json
ws = Workspace.from_config()
print("Submitting to", ws.name)

experiment = Experiment(workspace=ws, name="iris-demo")

iris = Dataset.File.from_files(path=["https://example.com/datasets/iris.csv"])
model_dir = OutputFileDatasetConfig("model-dir")

config = ScriptRunConfig(
    source_directory="./src",
    script="train.py",
    arguments=[
        "--data", iris.as_named_input("iris").as_mount(),
        "--model-dir", model_dir,
        "--max-depth", 4,
    ],
    compute_target="cpu-cluster",  # an existing AmlCompute cluster
)

env = Environment.from_conda_specification(name="iris-env", file_path="environment.yml")
config.run_config.environment = env

run = experiment.submit(config)
print("Portal:", run.get_portal_url())
run.wait_for_completion(show_output=True)
