// e2e tests build real images: jest's 5 s default would cut them off (testTimeout is not a per-project option).
jest.setTimeout(20 * 60 * 1000);
