"""Timing that tells the truth on a busy machine: the sides of a comparison run interleaved,
round by round, so that a slow moment of the machine falls on both; several rounds; the median
with the spread (the middle half, and the extremes), and the process's CPU time beside the wall
time, so that waiting (for the database, for other work on the machine) shows as the gap."""

import statistics
import time
from dataclasses import dataclass, field


@dataclass
class Samples:
    wall: list = field(default_factory=list)
    cpu: list = field(default_factory=list)

    def add(self, wall, cpu):
        self.wall.append(wall)
        self.cpu.append(cpu)

    @property
    def median(self):
        return statistics.median(self.wall)

    @property
    def cpu_mean(self):
        # The mean, not the median: a server's CPU clock ticks in steps of 10 ms.
        return statistics.fmean(self.cpu)

    def quantile(self, share, *, of=None):
        values = sorted(self.wall if of is None else of)
        index = min(len(values) - 1, max(0, round(share * (len(values) - 1))))
        return values[index]

    def spread(self, scale=1000, unit="ms"):
        """«median (p25–p75, min–max) unit; CPU mean» in the scale's unit."""
        wall = self.wall
        return (
            f"{self.median * scale:.1f} {unit} (p25–p75 {self.quantile(0.25) * scale:.1f}–"
            f"{self.quantile(0.75) * scale:.1f}, min–maks {min(wall) * scale:.1f}–"
            f"{max(wall) * scale:.1f}; CPU snitt {self.cpu_mean * scale:.1f}, n={len(wall)})"
        )


def measure(run, *, cpu_clock=time.process_time):
    """Wall and CPU time of one call; the CPU of this process unless another clock is given
    (a server's processes)."""
    wall, cpu = time.perf_counter(), cpu_clock()
    run()
    return time.perf_counter() - wall, cpu_clock() - cpu


def interleaved(sides, *, rounds, warmup=1):
    """Run each side once per round, in turn, `rounds` times after `warmup` rounds not counted.
    `sides` maps a name to a callable of no arguments; returns the name's Samples."""
    samples = {name: Samples() for name in sides}
    for index in range(warmup + rounds):
        for name, run in sides.items():
            wall, cpu = measure(run)
            if index >= warmup:
                samples[name].add(wall, cpu)
    return samples


def ratios(numerators, denominators):
    """The round-by-round ratios of two equally long sample lists (both sides of the same
    round saw the same machine), as Samples of ratios (CPU ratios beside)."""
    result = Samples()
    for wall, cpu, base_wall, base_cpu in zip(
        numerators.wall, numerators.cpu, denominators.wall, denominators.cpu, strict=True
    ):
        result.add(wall / base_wall, cpu / base_cpu if base_cpu else 0.0)
    return result


def ratio_text(samples):
    return (
        f"{samples.median:.2f} (p25–p75 {samples.quantile(0.25):.2f}–"
        f"{samples.quantile(0.75):.2f}, min–maks {min(samples.wall):.2f}–{max(samples.wall):.2f};"
        f" CPU {statistics.median(samples.cpu):.2f})"
    )
