"""Properties of infra/terraform read from the parsed HCL (no provider, no AWS)."""

from __future__ import annotations

import json
import re

from conftest import ROOT, TERRAFORM, Config

#: The run folder names (contracts/run-layout.json) the bucket's rules must match.
RUN_LAYOUT = json.loads((ROOT / "contracts" / "run-layout.json").read_text())

EXPECTED_FILES = {
    "versions.tf",
    "variables.tf",
    "outputs.tf",
    "main.tf",
    "storage.tf",
    "iam.tf",
    "network.tf",
    "compute.tf",
    "secrets.tf",
    "deploy.tf",
    "kms.tf",
    "monitoring.tf",
}


def one_block(body: dict, name: str) -> dict:
    blocks = body[name]
    assert isinstance(blocks, list) and len(blocks) == 1, f"expected one {name} block"
    return blocks[0]


def test_every_file_parses_and_the_layout_is_by_concern(terraform: dict) -> None:
    assert {p.name for p in TERRAFORM.glob("*.tf")} >= EXPECTED_FILES
    for kind in ("terraform", "provider", "variable", "output", "resource", "data", "locals"):
        assert terraform.get(kind), f"no {kind} block parsed"


def test_versions_are_pinned(config: Config) -> None:
    block = config.raw["terraform"][0]
    assert block["required_version"] == ">= 1.11"
    providers = block["required_providers"][0]
    assert providers["aws"] == {"source": "hashicorp/aws", "version": "~> 6.0"}
    assert providers["random"]["source"] == "hashicorp/random"


def test_every_variable_is_typed_and_described(config: Config) -> None:
    variables = config.variables()
    assert len(variables) >= 20
    for name, body in variables.items():
        assert body.get("type"), f"variable {name} has no type"
        assert len(body.get("description", "")) > 10, f"variable {name} has no description"


def test_allowed_cidrs_has_no_default_and_rejects_the_internet(config: Config) -> None:
    body = config.variables()["allowed_cidrs"]
    assert "default" not in body, "allowed_cidrs must be chosen by whoever applies"
    assert body["type"] == "${list(string)}"
    conditions = [v["condition"] for v in body["validation"]]
    assert any("cidrnetmask(cidr)" in c for c in conditions)
    assert any(re.search(r'split\("/", cidr\)\[1\]\) >= 8', c) for c in conditions), "a validation must reject /0 (and other huge) prefixes"
    messages = " ".join(v["error_message"] for v in body["validation"])
    assert "0.0.0.0/0" in messages


def test_instances_require_imdsv2_and_encrypt_their_root_volume(config: Config) -> None:
    main = config.resource("aws_instance", "main")
    metadata = one_block(main, "metadata_options")
    assert config.resolve(metadata["http_tokens"]) == "required"
    assert config.resolve(metadata["http_endpoint"]) == "enabled"
    assert config.resolve(metadata["http_put_response_hop_limit"]) == 1
    root = one_block(main, "root_block_device")
    assert root["encrypted"] is True
    assert "key_name" not in main, "no SSH key pair: Session Manager only"

    template = config.resource("aws_launch_template", "worker")
    metadata = one_block(template, "metadata_options")
    assert config.resolve(metadata["http_tokens"]) == "required"
    ebs = one_block(one_block(template, "block_device_mappings"), "ebs")
    assert ebs["encrypted"] is True
    assert "key_name" not in template


def test_hosts_run_amazon_linux_2023_from_the_public_ssm_parameter(config: Config) -> None:
    ami = config.data("aws_ssm_parameter", "al2023")
    assert ami["name"].startswith("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-")
    assert config.resource("aws_instance", "main")["ami"] == "${local.ami_id}"
    assert config.resource("aws_launch_template", "worker")["image_id"] == "${local.ami_id}"
    assert config.locals["ami_id"] == "${data.aws_ssm_parameter.al2023.insecure_value}"


def ingress_rules(config: Config) -> dict[str, dict]:
    return config.resources("aws_vpc_security_group_ingress_rule")


def test_no_ingress_from_anywhere_and_no_port_22(config: Config) -> None:
    rules = ingress_rules(config)
    assert set(rules) == {"ui", "redis_from_workers"}
    for name, rule in rules.items():
        assert rule.get("cidr_ipv4") != "0.0.0.0/0", name
        assert "cidr_ipv6" not in rule, name
        for port_key in ("from_port", "to_port"):
            assert rule[port_key] != 22, name
    # The UI rule's addresses come only from allowed_cidrs, its ports only from the two UI ports.
    assert rules["ui"]["cidr_ipv4"] == "${each.value.cidr}"
    assert rules["ui"]["from_port"] == rules["ui"]["to_port"] == "${each.value.port}"
    assert "var.allowed_cidrs" in config.locals["ui_ingress"]
    assert config.locals["ui_ports"] == {"airflow": "${var.airflow_ui_port}", "board": "${var.board_port}"}
    # Security groups carry no inline rules that could bypass the above.
    for name, group in config.resources("aws_security_group").items():
        assert "ingress" not in group and "egress" not in group, name
    assert not config.resources("aws_security_group_rule"), "use the per-rule resources only"


def test_redis_is_reachable_only_from_the_worker_group(config: Config) -> None:
    redis = ingress_rules(config)["redis_from_workers"]
    assert redis["security_group_id"] == "${aws_security_group.main.id}"
    assert redis["referenced_security_group_id"] == "${aws_security_group.worker.id}"
    assert redis["from_port"] == redis["to_port"] == "${var.redis_port}"
    assert "cidr_ipv4" not in redis
    others = [r for n, r in ingress_rules(config).items() if n != "redis_from_workers"]
    assert all(r["from_port"] != "${var.redis_port}" for r in others)
    template = config.resource("aws_launch_template", "worker")
    assert one_block(template, "network_interfaces")["security_groups"] == ["${aws_security_group.worker.id}"]
    assert config.resource("aws_instance", "main")["vpc_security_group_ids"] == ["${aws_security_group.main.id}"]


def test_bucket_is_private_versioned_encrypted_and_tls_only(config: Config) -> None:
    block = config.resource("aws_s3_bucket_public_access_block", "canopy")
    for key in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"):
        assert block[key] is True, key
    ownership = one_block(config.resource("aws_s3_bucket_ownership_controls", "canopy"), "rule")
    assert ownership["object_ownership"] == "BucketOwnerEnforced"
    versioning = one_block(config.resource("aws_s3_bucket_versioning", "canopy"), "versioning_configuration")
    assert versioning["status"] == "Enabled"
    sse = one_block(
        one_block(config.resource("aws_s3_bucket_server_side_encryption_configuration", "canopy"), "rule"),
        "apply_server_side_encryption_by_default",
    )
    assert sse["sse_algorithm"] == "aws:kms"
    assert sse["kms_master_key_id"] == "${aws_kms_key.canopy.arn}"
    assert config.resource("aws_kms_key", "canopy")["enable_key_rotation"] is True

    policy = config.data("aws_iam_policy_document", "bucket")
    [statement] = policy["statement"]
    assert statement["effect"] == "Deny"
    assert statement["actions"] == ["s3:*"]
    assert statement["resources"] == ["${aws_s3_bucket.canopy.arn}", "${aws_s3_bucket.canopy.arn}/*"]
    [condition] = statement["condition"]
    assert condition == {"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}


def test_run_staging_expires(config: Config) -> None:
    rules = {r["id"]: r for r in config.resource("aws_s3_bucket_lifecycle_configuration", "canopy")["rule"]}
    staging = rules["expire-run-staging"]
    assert staging["status"] == "Enabled"
    assert one_block(staging, "filter")["prefix"] == "${local.staging_prefix}"
    # The workers' staging folder (contracts/run-layout.json) is what the rule expires.
    assert config.locals["staging_prefix"] == "${var.models_prefix}" + RUN_LAYOUT["staging"]["folder"] + "/"
    assert one_block(staging, "expiration")["days"] == "${var.staging_expiration_days}"
    assert config.variables()["models_prefix"]["default"] == "models/"
    assert config.variables()["data_prefix"]["default"] == "data/"
    assert set(config.resource("aws_s3_object", "prefix")["for_each"].split("[")[1].split("]")[0].split(", ")) == {
        "local.data_prefix",
        "local.models_prefix",
    }


def policy_statements(config: Config) -> dict[str, dict]:
    return {s["sid"]: s for s in config.data("aws_iam_policy_document", "host")["statement"]}


def test_instance_policy_has_exactly_these_actions_and_resources(config: Config) -> None:
    bucket = "${aws_s3_bucket.canopy.arn}"
    expected = {
        "ListDataAndModelsOnly": (["s3:ListBucket"], [bucket]),
        "ReadData": (["s3:GetObject"], [f"{bucket}/${{local.data_prefix}}*"]),
        "ReadWriteModels": (["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"], [f"{bucket}/${{local.models_prefix}}*"]),
        "CleanRunStaging": (["s3:DeleteObject"], [f"{bucket}/${{local.staging_prefix}}*"]),
        "UnpublishForForcedRerun": (["s3:DeleteObject"], [f"{bucket}/${{local.models_prefix}}*/{RUN_LAYOUT['artifacts']['manifest']}"]),
        "ReadOwnParameters": (
            ["ssm:GetParameter", "ssm:GetParameters"],
            ["arn:${local.partition}:ssm:${var.region}:${local.account_id}:parameter${local.ssm_path}/*"],
        ),
        "ShipMetricsToOwnLogGroup": (
            ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            ["${aws_cloudwatch_log_group.metrics.arn}", "${aws_cloudwatch_log_group.metrics.arn}:log-stream:*"],
        ),
        "UseStackKeyThroughS3AndSsm": (["kms:Decrypt", "kms:GenerateDataKey"], ["${aws_kms_key.canopy.arn}"]),
    }
    statements = policy_statements(config)
    assert set(statements) == set(expected)
    for sid, (actions, resources) in expected.items():
        assert statements[sid]["actions"] == actions, sid
        assert statements[sid]["resources"] == resources, sid
        assert statements[sid].get("effect", "Allow") == "Allow", sid
        assert "not_actions" not in statements[sid] and "not_resources" not in statements[sid], sid


def test_list_bucket_is_limited_by_prefix_and_kms_by_service(config: Config) -> None:
    statements = policy_statements(config)
    [listing] = statements["ListDataAndModelsOnly"]["condition"]
    assert listing["test"] == "StringLike" and listing["variable"] == "s3:prefix"
    assert listing["values"] == ["${local.data_prefix}", "${local.data_prefix}*", "${local.models_prefix}", "${local.models_prefix}*"]
    [kms] = statements["UseStackKeyThroughS3AndSsm"]["condition"]
    assert kms["variable"] == "kms:ViaService"
    assert kms["values"] == ["s3.${var.region}.amazonaws.com", "ssm.${var.region}.amazonaws.com"]


def test_the_role_has_no_other_policy(config: Config) -> None:
    assert set(config.resources("aws_iam_role_policy")) == {"host"}
    attachments = config.resources("aws_iam_role_policy_attachment")
    assert {name: a["policy_arn"] for name, a in attachments.items()} == {
        "ssm_core": "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
    }
    assert not config.resources("aws_iam_user") and not config.resources("aws_iam_access_key")
    assert "managed_policy_arns" not in config.resource("aws_iam_role", "host")
    assume = config.data("aws_iam_policy_document", "host_assume")["statement"][0]
    assert assume["principals"][0]["identifiers"] == ["ec2.amazonaws.com"]


def test_secrets_are_generated_into_ssm_and_never_output(config: Config) -> None:
    parameters = config.resource("aws_ssm_parameter", "secret")
    assert parameters["type"] == "SecureString"
    assert parameters["key_id"] == "${aws_kms_key.canopy.arn}"
    assert parameters["value_wo"] == "${ephemeral.random_password.secret[each.key].result}"
    assert "value" not in parameters, "a plain value would be stored in the state"
    assert set(config.locals["secrets"]) == {"airflow-admin-password", "airflow-jwt-secret", "board-password", "redis-password"}
    outputs = {}
    for block in config.raw["output"]:
        outputs.update(block)
    for name, output in outputs.items():
        text = str(output["value"])
        assert "random_password" not in text and ".value" not in text, f"output {name} exposes a secret"
        assert output.get("sensitive") is not True, f"output {name} should not need to be sensitive"


def test_worker_group_is_optional_and_uses_the_launch_template(config: Config) -> None:
    group = config.resource("aws_autoscaling_group", "worker")
    assert group["count"] == "${local.worker_group ? 1 : 0}"
    assert config.locals["worker_group"] == "${var.worker_hosts.max > 0}"
    launch = one_block(group, "launch_template")
    assert launch["id"] == "${aws_launch_template.worker[0].id}"
    assert config.variables()["worker_hosts"]["default"] == {"min": 0, "desired": 0, "max": 0}
