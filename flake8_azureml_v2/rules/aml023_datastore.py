"""AML023: the v1 ``Datastore`` class (get, get_default, register_azure_*)."""

from __future__ import annotations

from ..migrations import fixer
from ._matchers import member_calls
from ._rule import AmlRule as Rule
from ._rule import Family, FixSafety

DATASTORE = "azureml.core.Datastore"
_DEFAULT_V2 = "ml_client.datastores.get(name) or an AzureBlobDatastore entity"
_NO_SQL = "no v2 datastore (SQL datastores are gone; use a data import)"

_V2_FORMS = {
    "": "ml_client.datastores.get(name)",
    "get": "ml_client.datastores.get(name)",
    "get_default": "ml_client.datastores.get_default()",
    "register_azure_blob_container": "ml_client.create_or_update(AzureBlobDatastore(name=..., account_name=..., container_name=...))",
    "register_azure_file_share": "ml_client.create_or_update(AzureFileDatastore(...))",
    "register_azure_data_lake_gen2": "ml_client.create_or_update(AzureDataLakeGen2Datastore(...))",
    "register_azure_data_lake": "ml_client.create_or_update(AzureDataLakeGen1Datastore(...))",
    "register_azure_sql_database": _NO_SQL,
    "register_azure_postgre_sql": _NO_SQL,
    "register_azure_my_sql": _NO_SQL,
}



RULE = Rule(
    code="AML023",
    name="datastore",
    family=Family.ASSETS,
    v1="Datastore.get()",
    v2=_DEFAULT_V2,
    article="migrate-to-v2-resource-datastore",
    fix_safety=FixSafety.UNSAFE,
    detect=member_calls(DATASTORE, lambda member: _V2_FORMS.get(member, _DEFAULT_V2)),
    why=(
        "Datastores are read through ml_client.datastores and created as entities such as "
        "AzureBlobDatastore, with the credentials in an AccountKeyConfiguration or "
        "SasTokenConfiguration. A (datastore, 'path') pair becomes the URI "
        "azureml://datastores/<name>/paths/<path>. SQL-type datastores have no v2 equivalent."
    ),
    example="store = Datastore.get(ws, 'training_data')",
    use_instead="store = ml_client.datastores.get('training_data')",
    fixer=fixer("datastore"),
)
