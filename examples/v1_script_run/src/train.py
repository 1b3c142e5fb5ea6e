"""Training script of the demo: it still logs through the SDK v1 Run object."""

import argparse

import pandas as pd
from azureml.core import Run
from sklearn.tree import DecisionTreeClassifier

parser = argparse.ArgumentParser()
parser.add_argument("--data")
parser.add_argument("--model-dir")
parser.add_argument("--max-depth", type=int, default=3)
args = parser.parse_args()

run = Run.get_context()

frame = pd.read_csv(args.data)
features, labels = frame.drop(columns=["species"]), frame["species"]
model = DecisionTreeClassifier(max_depth=args.max_depth).fit(features, labels)

run.log("max_depth", args.max_depth)
run.log("train_accuracy", float(model.score(features, labels)))
run.tag("model", "decision-tree")
run.complete()
