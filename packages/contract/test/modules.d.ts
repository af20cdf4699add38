declare module '*/validate.mjs' {
  export function validateContract(contract: unknown): void;
}
