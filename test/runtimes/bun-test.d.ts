// The one function of Bun's test runner that bun.test.ts uses, for the repository's type check
// (which knows Node's modules only). Bun itself does not read this file.
declare module 'bun:test' {
  export function test(name: string, fn: () => Promise<void>): void;
}
