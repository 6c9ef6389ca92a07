// Each file of the `cluster` project: the test kit's `server: 'dev'` is the cluster global-setup started.
process.env.JOURNEYS_TEST_TEMPORAL = process.env.JOURNEYS_CLUSTER_ADDRESS;
