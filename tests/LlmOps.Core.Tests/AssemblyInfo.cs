// libtorch has one global random generator per process: tests that seed it (seeding, smoke training) and tests that
// draw from it (building models) would interleave if test classes ran in parallel, making seeded results flaky.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
