"""Turns a SAM template into the CloudFormation template AWS would deploy, offline.

usage: python3 transform_template.py TEMPLATE < parameter-values.json

TEMPLATE is YAML (short tags such as !Ref allowed) or, when its name ends in .json, JSON. Standard
input holds a JSON object of parameter values ({"VpcId": "vpc-1", ...}; a List parameter as one
comma-separated string, as `sam deploy --parameter-overrides` passes it).

Like `sam package`, the script first replaces the CodeUri of every AWS::Serverless::Function with an
s3:// URI; then it runs the SAM translator (the AWS::Serverless-2016-10-31 transform) and prints the
resulting CloudFormation template as JSON on standard output.

The translator builds ARNs for a region: set AWS_DEFAULT_REGION. Exit status 2 and the translator's
messages on standard error when it rejects the template.
"""
import json
import sys

from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    """Stands in for the loader that asks IAM for the ARNs of managed policies named in Policies."""

    def load(self):
        return {}


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 64
    with open(argv[1], encoding="utf-8") as f:
        text = f.read()
    template = json.loads(text) if argv[1].endswith(".json") else yaml_parse(text)
    parameter_values = json.load(sys.stdin)

    for name, resource in template.get("Resources", {}).items():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource.setdefault("Properties", {})["CodeUri"] = (
                "s3://template-checks-artifacts/" + name + "/function.jar")
    try:
        transformed = transform(template, parameter_values, NoManagedPolicies())
    except InvalidDocumentException as e:
        for cause in e.causes:
            sys.stderr.write(cause.message + "\n")
        return 2
    json.dump(transformed, sys.stdout, indent=1, sort_keys=True, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
