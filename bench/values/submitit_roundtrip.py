"""submitit's pickled round trip on the test Slurm, for bench/values/values_bench.py part (d).
Runs in a venv that has submitit (it is not a project dependency):

    VENV/bin/python bench/values/submitit_roundtrip.py FOLDER ROUNDS CHARS ELEMENTS

Prints one JSON line. `job.result()` polls for the result file once a second; the figures here poll
`job.done()` every 50 ms instead, as the floor does, so that submitit is not charged for its sleep."""
import json
import statistics
import sys
import time

import submitit


def trivial():
    return "hi"


def bigger(big):
    return big.replace("x", "y")


def square(p):
    return p * p


def stats(xs):
    xs = sorted(xs)
    return {"median": statistics.median(xs), "p90": xs[min(len(xs) - 1, int(len(xs) * 0.9))], "min": xs[0], "max": xs[-1], "n": len(xs)}


def timed(executor, fn, *args):
    t = time.monotonic()
    job = executor.submit(fn, *args)
    while not job.done():
        time.sleep(0.05)
    value = job.result()
    return time.monotonic() - t, value


def main():
    folder, rounds, chars, elements = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    ex = submitit.AutoExecutor(folder=folder, cluster="slurm")
    ex.update_parameters(slurm_partition="debug", timeout_min=10)
    big = "x" * chars
    timed(ex, trivial)  # warm: the folder, the first pickle
    t_trivial, t_big = [], []
    for r in range(rounds):
        steps = [(t_trivial, lambda: timed(ex, trivial)), (t_big, lambda: timed(ex, bigger, big))]
        if r % 2:
            steps.reverse()
        for bucket, step in steps:
            elapsed, value = step()
            assert value in ("hi", "y" * chars), "wrong value back"
            bucket.append(elapsed)
    t = time.monotonic()
    jobs = ex.map_array(square, list(range(elements)))
    while not all(j.done() for j in jobs):
        time.sleep(0.05)
    squares = [j.result() for j in jobs]
    map_s = time.monotonic() - t
    assert squares == [p * p for p in range(elements)]
    print(json.dumps({"version": submitit.__version__, "trivial": stats(t_trivial), "big": stats(t_big),
                      "elements": elements, "map_array_s": map_s}))


if __name__ == "__main__":
    main()
