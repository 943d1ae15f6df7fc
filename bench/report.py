"""Formats the measurements of bench/run.sh as a markdown table (stdout).

Input: a TSV file of `customers <TAB> variant <TAB> key <TAB> value` lines, keys
scan_s, bg_s, gg_s, clv_s, clv_join_s, bg_vs_internal_s, rollup_s (best seconds), *_floor_s (best
seconds of the floor query run alternately with it: the plain scan; for clv_join the scan joined
with the models table; for bg_vs_internal 0.1.0's internal-state fit; for rollup the one-call fit), *_mib (peak backend memory), bg_model / gg_model
(crm_ext model JSON) and lifetimes (JSON of lifetimes_fit.py) or lifetimes_skipped (the reason); for the model
family mbg_s, pnbd_s, mbg_model, pnbd_model and lifetimes_family (JSON of lifetimes_family.py).
"""
import json
import sys
from collections import defaultdict


def rel_diff(ours, theirs):
    return max(abs(ours[k] - theirs[k]) / abs(theirs[k]) for k in theirs)


def main():
    m = defaultdict(dict)
    order = []
    for line in open(sys.argv[1], encoding="utf-8"):
        n, variant, key, value = line.rstrip("\n").split("\t", 3)
        if (n, variant) not in m:
            order.append((n, variant))
        m[(n, variant)][key] = value
    print("| customers | times | distinct rows | scan s | BG/NBD fit s (x scan) | Gamma-Gamma fit s (x scan) "
          "| CLV all rows s (x scan) | CLV as a join s (x the join's scan) | peak MiB scan / bg / gg / clv | lifetimes BG/NBD s (crm_ext faster by) "
          "| lifetimes GG s | max rel. param diff BG/NBD, GG | BG/NBD fit x 0.1.0 | refit from 365 daily summaries s (x full refit) |")
    print("|" + "---|" * 14)
    notes = []
    for n, variant in order:
        d = m[(n, variant)]
        bg, gg = json.loads(d["bg_model"]), json.loads(d["gg_model"])
        scan = float(d["scan_s"])
        cell = lambda k: f"{float(d[k + '_s']):.3f} ({float(d[k + '_s']) / float(d[k + '_floor_s']):.1f}x)" if k + "_s" in d else "-"
        ratio = lambda k: f"{float(d[k + '_s']) / float(d[k + '_floor_s']):.2f}" if k + "_s" in d else "-"
        mem = " / ".join(f"{float(d[k + '_mib']):.0f}" for k in ("scan", "bg", "gg", "clv"))
        if "lifetimes" in d:
            lt = json.loads(d["lifetimes"])
            lt_bg = f"{lt['bg_s']:.2f} ({lt['bg_s'] / float(d['bg_s']):.0f}x)"
            lt_gg = f"{lt['gg_s']:.2f}"
            diff = f"{rel_diff(bg, lt['bg']):.1e}, {rel_diff(gg, lt['gg']):.1e}"
        else:
            lt_bg = lt_gg = diff = "skipped"
            notes.append(f"lifetimes skipped for {n} {variant}: {d.get('lifetimes_skipped', 'not run')}")
        print(f"| {int(n):,} | {variant} | {bg['distinct_rows']:,} | {scan:.3f} | {cell('bg')} | {cell('gg')} "
              f"| {cell('clv')} | {cell('clv_join')} | {mem} | {lt_bg} | {lt_gg} | {diff} "
              f"| {ratio('bg_vs_internal')} | {cell('rollup')} |")
    print()
    print("| customers | times | MBG/NBD fit s (x scan) | Pareto/NBD fit s (x scan) | lifetimes MBG/NBD s (crm_ext faster by) "
          "| lifetimes Pareto/NBD s (crm_ext faster by) | max rel. param diff MBG/NBD, Pareto/NBD |")
    print("|" + "---|" * 7)
    for n, variant in order:
        d = m[(n, variant)]
        if "mbg_s" not in d:
            continue
        cell = lambda k: f"{float(d[k + '_s']):.3f} ({float(d[k + '_s']) / float(d[k + '_floor_s']):.1f}x)"
        if "lifetimes_family" in d:
            lt = json.loads(d["lifetimes_family"])
            ours = {"mbgnbd": json.loads(d["mbg_model"]), "pareto_nbd": json.loads(d["pnbd_model"])}
            timing = {k: f"{lt[k + '_s']:.2f} ({lt[k + '_s'] / float(d[short + '_s']):.0f}x)"
                      for k, short in (("mbgnbd", "mbg"), ("pareto_nbd", "pnbd"))}
            diff = f"{rel_diff(ours['mbgnbd'], lt['mbgnbd']):.1e}, {rel_diff(ours['pareto_nbd'], lt['pareto_nbd']):.1e}"
        else:
            timing = {"mbgnbd": "not run", "pareto_nbd": "not run"}
            diff = "-"
        print(f"| {int(n):,} | {variant} | {cell('mbg')} | {cell('pnbd')} | {timing['mbgnbd']} | {timing['pareto_nbd']} | {diff} |")
    for note in sorted(set(notes)):
        print(f"\n{note}")


if __name__ == "__main__":
    main()
