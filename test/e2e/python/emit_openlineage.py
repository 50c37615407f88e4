"""Posts a training-data preparation run to the platform with the official
OpenLineage Python client over its HTTP transport, as an Airflow task would.

usage: emit_openlineage.py <training-service url> <api key> <dataset version id>

The run reads crm/customer-events at exactly that version, a subset of it
(country = DE), and an unversioned table; it writes a feature table. START
then COMPLETE are emitted, then COMPLETE once more (a retried delivery), each
body gzip-compressed.
Prints the run id and the emitted events as JSON on stdout.
"""

import json
import sys
import uuid
from datetime import datetime, timezone

from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import (
    base_subset_dataset,
    dataset_version_dataset,
    datasource_dataset,
    job_type_job,
    parent_run,
    schema_dataset,
    source_code_location_job,
)
from openlineage.client.serde import Serde
from openlineage.client.transport.http import ApiKeyTokenProvider, HttpCompression, HttpConfig, HttpTransport

PRODUCER = "https://github.com/provenance-platform/test/e2e/python/emit_openlineage.py"


def main(url: str, api_key: str, dataset_version: str) -> None:
    # Bodies gzip-compressed, an option of the client's HTTP transport that the platform inflates.
    transport = HttpTransport(
        HttpConfig(
            url=url,
            auth=ApiKeyTokenProvider({"apiKey": api_key}),
            retry={"total": 0},
            compression=HttpCompression.GZIP,
        )
    )
    client = OpenLineageClient(transport=transport)
    run_id = str(uuid.uuid4())
    parent_id = str(uuid.uuid4())
    job = Job(
        namespace="airflow",
        name="churn.prepare_features",
        facets={
            "jobType": job_type_job.JobTypeJobFacet(processingType="BATCH", integration="AIRFLOW", jobType="TASK"),
            "sourceCodeLocation": source_code_location_job.SourceCodeLocationJobFacet(
                type="git", url="https://git.example.com/churn", version="4f2ac1d"
            ),
        },
    )
    run = Run(
        runId=run_id,
        facets={
            "parent": parent_run.ParentRunFacet(
                run=parent_run.Run(runId=parent_id), job=parent_run.Job(namespace="airflow", name="churn")
            )
        },
    )
    events_input = InputDataset(
        namespace="crm",
        name="customer-events",
        facets={
            "version": dataset_version_dataset.DatasetVersionDatasetFacet(datasetVersion=dataset_version),
            "schema": schema_dataset.SchemaDatasetFacet(
                fields=[
                    schema_dataset.SchemaDatasetFacetFields(name="customer_id", type="string"),
                    schema_dataset.SchemaDatasetFacetFields(name="country", type="string"),
                ]
            ),
            "dataSource": datasource_dataset.DatasourceDatasetFacet(name="lake", uri="s3://lake/crm/"),
        },
        inputFacets={
            "subset": base_subset_dataset.InputSubsetInputDatasetFacet(
                inputCondition=base_subset_dataset.CompareSubsetCondition(
                    left=base_subset_dataset.FieldBaseCompareExpression(field="country"),
                    right=base_subset_dataset.LiteralCompareExpression(value="DE"),
                    comparison="EQUAL",
                )
            )
        },
    )
    orders_input = InputDataset(namespace="postgres://db.example.com:5432", name="public.orders")
    features = OutputDataset(
        namespace="s3://lake",
        name="features/churn",
        facets={"version": dataset_version_dataset.DatasetVersionDatasetFacet(datasetVersion="2026-11-04")},
    )
    emitted = []
    for state in (RunState.START, RunState.COMPLETE):
        event = RunEvent(
            eventType=state,
            eventTime=datetime.now(timezone.utc).isoformat(),
            run=run,
            job=job,
            producer=PRODUCER,
            inputs=[events_input, orders_input],
            outputs=[features],
        )
        client.emit(event)
        emitted.append(json.loads(Serde.to_json(event)))
    # A delivery retried by the producer: the very same event again.
    client.emit(event)
    print(json.dumps({"runId": run_id, "parentRunId": parent_id, "events": emitted}))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
