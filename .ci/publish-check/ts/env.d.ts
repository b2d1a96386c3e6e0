// The one Node.js global the check uses, declared here rather than pulling in @types/node.
declare const process: {
  env: Record<string, string | undefined>;
  exitCode: number | undefined;
};
