"""Ranking orders the tests pin, independent of the product's default order.

The tiny reference has three drugs, so a population prior in the order (the default's target
degree, stop 25) decides their order by itself; tests of the network evidence — which drug sits
in the module, what a full DE vector changes, which drug a cohort's patients share at the top —
rank by the personal methods only, as the default did before the degree prior joined it.
"""

NETWORK_ORDER: tuple[str, ...] = ("proximity", "target_expression")
