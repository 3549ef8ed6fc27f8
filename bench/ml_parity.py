"""Fits every model of a project's ml.yml again with scikit-learn, on the same rows of the same
warehouse, and compares it with the version Storehouse accepted (`storehouse ml train`).

    ml_parity.py WAREHOUSE.duckdb PROJECT_DIR

The encoding is rebuilt from numpy's log1p (features declaring `transform: log`) and scikit-learn's own transformers (SimpleImputer with its missing
indicator, StandardScaler, OneHotEncoder with min_frequency and an infrequent column), not from
Storehouse's fitted statistics, and the fit uses the same penalty: LogisticRegression(C = 1/l2)
and PoissonRegressor(alpha = l2/n). Targets (issue 16): coefficients within 1e-4, validation
AUC within 0.002. Prints one line per model and the time each side took (ours from the
artefact: encode + fit; scikit-learn: read with pandas + encode + fit + validate).
Exit status 0 when every model agrees, 1 otherwise.
"""
import json
import sys
import time

import duckdb
import numpy as np
import pandas as pd
import yaml
from sklearn.impute import MissingIndicator, SimpleImputer
from sklearn.linear_model import LogisticRegression, PoissonRegressor
from sklearn.metrics import mean_poisson_deviance, roc_auc_score
from sklearn.preprocessing import OneHotEncoder, StandardScaler

COEFFICIENT_TOLERANCE = 1e-4
AUC_TOLERANCE = 0.002


def relation(con, name):
    rows = con.execute(
        "select table_schema from information_schema.tables where table_name = ? and table_schema <> 'ml'", [name]
    ).fetchall()
    if len(rows) != 1:
        raise SystemExit(f"cannot place table {name}: found in {rows}")
    return f'"{rows[0][0]}"."{name}"'


def design(spec, train, frame):
    """The encoded features of `frame`, with statistics fitted on `train`, in Storehouse's column order."""
    blocks, names = [], []
    numeric = [f if isinstance(f, dict) else {"name": f} for f in spec.get("numeric", [])]
    indicator_blocks, indicator_names = [], []
    for feature in numeric:
        name, missing = feature["name"], feature.get("missing", "fail")
        x_train = train[[name]].astype(float)
        x = frame[[name]].astype(float)
        if feature.get("transform", "none") == "log":
            x_train, x = np.log1p(x_train), np.log1p(x)
        if missing == "fail":
            assert not x_train[name].isna().any(), f"{name} has NULLs and declares no fill"
            filled_train, filled = x_train, x
        else:
            imputer = SimpleImputer(strategy="mean" if missing == "mean" else "constant", fill_value=0.0).fit(x_train)
            filled_train, filled = imputer.transform(x_train), imputer.transform(x)
            if x_train[name].isna().any():
                indicator = MissingIndicator(features="all").fit(x_train)
                indicator_blocks.append(indicator.transform(x).astype(float))
                indicator_names.append(f"{name}_missing")
        scaler = StandardScaler().fit(filled_train)
        blocks.append(scaler.transform(filled))
        names.append(name)
    blocks += indicator_blocks
    names += indicator_names
    for column in spec.get("categorical", []):
        labels_train = train[[column]].astype(object).where(train[[column]].notna(), "(missing)").astype(str)
        labels = frame[[column]].astype(object).where(frame[[column]].notna(), "(missing)").astype(str)
        encoder = OneHotEncoder(
            handle_unknown="infrequent_if_exist", min_frequency=int(spec.get("min_category_count", 1)), sparse_output=False
        ).fit(labels_train)
        blocks.append(encoder.transform(labels))
        for level in encoder.get_feature_names_out([column]):
            level = level[len(column) + 1:]
            names.append(f"{column}=" + ("(other)" if level == "infrequent_sklearn" else level))
    return np.hstack(blocks), names


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    database, project = sys.argv[1], sys.argv[2]
    with open(f"{project}/ml.yml") as handle:
        declared = {model["name"]: model for model in yaml.safe_load(handle)["models"]}
    con = duckdb.connect(database, read_only=True)
    failures = 0
    for name, model in declared.items():
        row = con.execute(
            "select artefact from ml.model_versions where model = ? and promoted order by version desc limit 1", [name]
        ).fetchone()
        if row is None:
            print(f"{name}: no accepted version (run storehouse ml train first)")
            failures += 1
            continue
        ours = json.loads(row[0])
        spec = model["features"]
        target = model["target"]
        l2 = float(model.get("l2", 1.0))
        classifier = model.get("kind", "classifier") == "classifier"
        started = time.perf_counter()
        table = relation(con, model["training"])
        window = model.get("window_column", "ml_window")
        keys = ", ".join(model["key"])
        train = con.execute(f"select * from {table} where {window} = 'train' order by {keys}").df()
        validate = con.execute(f"select * from {table} where {window} = 'validate' order by {keys}").df()
        x_train, names = design(spec, train, train)
        x_validate, _ = design(spec, train, validate)
        y_train = train[target].astype(float).to_numpy()
        y_validate = validate[target].astype(float).to_numpy()
        if classifier:
            fitted = LogisticRegression(
                C=1 / l2, solver="newton-cholesky", tol=1e-12, max_iter=1000,
                class_weight="balanced" if model.get("class_weight") == "balanced" else None,
            ).fit(x_train, y_train)
            coefficients, intercept = fitted.coef_[0], fitted.intercept_[0]
            theirs_metric = roc_auc_score(y_validate, fitted.predict_proba(x_validate)[:, 1])
            ours_metric = ours["evaluation"]["classification"]["_0"]["rocAUC"]
            metric_name, tolerance = "validation AUC", AUC_TOLERANCE
        else:
            fitted = PoissonRegressor(alpha=l2 / len(y_train), solver="newton-cholesky", tol=1e-12, max_iter=1000).fit(x_train, y_train)
            coefficients, intercept = fitted.coef_, fitted.intercept_
            theirs_metric = mean_poisson_deviance(y_validate, fitted.predict(x_validate))
            ours_metric = ours["evaluation"]["regression"]["_0"]["meanPoissonDeviance"]
            metric_name, tolerance = "validation Poisson deviance", 1e-3 * abs(theirs_metric)
        sklearn_seconds = time.perf_counter() - started
        ours_names = ours_feature_names(ours["encoder"])
        if ours_names != names:
            print(f"{name}: the encoded columns differ\n  ours:    {ours_names}\n  sklearn: {names}")
            failures += 1
            continue
        difference = max(
            float(np.max(np.abs(np.array(ours["coefficients"]["weights"]) - coefficients))),
            abs(ours["coefficients"]["intercept"] - intercept),
        )
        metric_difference = abs(ours_metric - theirs_metric)
        ok = difference <= COEFFICIENT_TOLERANCE and metric_difference <= tolerance
        failures += 0 if ok else 1
        print(
            f"{name}: {'agree' if ok else 'DIFFER'} · {len(names)} coefficients, largest difference {difference:.2e} "
            f"(target {COEFFICIENT_TOLERANCE:g}) · {metric_name} ours {ours_metric:.6f} vs scikit-learn {theirs_metric:.6f} "
            f"(difference {metric_difference:.2e}) · {len(y_train):,} training rows · fit: ours {ours['fitSeconds']:.3f} s "
            f"(encode + Newton), scikit-learn {sklearn_seconds:.3f} s (read + encode + fit + validate)"
        )
    sys.exit(1 if failures else 0)


def ours_feature_names(encoder):
    names = [n["name"] for n in encoder["numeric"]]
    names += [f"{n['name']}_missing" for n in encoder["numeric"] if n["indicator"]]
    for levels in encoder["categorical"]:
        names += [f"{levels['name']}={level}" for level in levels["levels"]]
        if levels["hasOther"]:
            names.append(f"{levels['name']}=(other)")
    return names


if __name__ == "__main__":
    main()
