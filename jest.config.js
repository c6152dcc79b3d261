/** Unit tests talk HTTP to the emulator on loopback; lifecycle tests drive the real Pulumi CLI. */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  reporters: ["default", "<rootDir>/tests/summaryReporter.js"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
};
