"""AML029: ``DockerConfiguration(...)`` sets v1 container options for a run."""

from ..migrations import fixer
from ._matchers import calls_to
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

RULE = Rule(
    code="AML029",
    name="docker-configuration",
    family=Family.ASSETS,
    v1="DockerConfiguration()",
    v2="command(docker_args=..., shm_size=...)",
    article="migrate-to-v2-command-job",
    fix_safety=FixSafety.UNSAFE,
    detect=calls_to("azureml.core.runconfig.DockerConfiguration"),
    why=(
        "v2 jobs always run in a container, so there is no configuration object: shared "
        "memory and extra docker flags are the shm_size= and docker_args= arguments of "
        "command(). use_docker and shared_volumes have no v2 equivalent."
    ),
    example=(
        "docker = DockerConfiguration(use_docker=True, shm_size='16g')\n"
        "config = ScriptRunConfig('./src', 'train.py', docker_runtime_config=docker)"
    ),
    use_instead="job = command(code='./src', command='python train.py', shm_size='16g', environment=env)",
    fixer=fixer("runconfig", "fix_docker"),
)
