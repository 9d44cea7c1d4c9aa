/** One placeholder of the request templates, as the form's help lists it (the engine's PLACEHOLDER_HELP). */
export type Words = string | { vi: string; en: string };
export interface PlaceholderHelp {
  token: string;
  example: Words;
  meaning: Words;
}
