"""PartialLoading (G. Qu et al., *PartialLoading: User Scheduling and Bandwidth Allocation for
Parameter-sharing Edge Inference*): its instance, evaluator, solvers, claims, strategies and CLI."""
