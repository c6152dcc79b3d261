/**
 * Names a scan gives what it writes, from Postmark's names: resource names (also the program's variable names), secret
 * config keys and file names. Stable (the same account gives the same names), unique, and valid where they are used.
 */

/** What a TypeScript module may not name a `const`, and the names the written module uses itself. */
const reservedWords = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
    "import in instanceof new null return super switch this throw true try typeof var void while with as implements interface " +
    "let package private protected public static yield await async of undefined NaN Infinity arguments eval " +
    "fs path pulumi config file require module exports"
  ).split(" "),
);

/** The words of a name: accents dropped, a URL's scheme dropped, split at anything but letters and digits. */
export function wordsOf(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "");
}

/** A word as the inside of a camelCase name: "prod" and "PROD" become "Prod", "iOS" stays "IOS". */
const capitalised = (word: string) => (word === word.toUpperCase() ? word.charAt(0) + word.slice(1).toLowerCase() : word.charAt(0).toUpperCase() + word.slice(1));

/** camelCase of words: ["Billing", "prod"] → "billingProd". */
export function camelCase(words: string[]): string {
  const joined = words.map(capitalised).join("");
  return joined.charAt(0).toLowerCase() + joined.slice(1);
}

/** PascalCase of words: ["news", "letters"] → "NewsLetters". */
export const pascalCase = (words: string[]): string => words.map(capitalised).join("");

/** kebab-case of words, for file and folder names: ["Billing", "prod"] → "billing-prod". */
export const kebabCase = (words: string[]): string => words.map((word) => word.toLowerCase()).join("-");

/**
 * Hands out names unique among those it gave. The first asker of a name gets it as it is (a scan asks in a stable
 * order: by Postmark's ID within a kind, so an object added later never takes an existing one's name); the next gets
 * it with `distinct` (Postmark's ID) appended, then a counter.
 */
export class NameTable {
  private readonly taken = new Set<string>();

  constructor(private readonly isValid: (name: string) => boolean = () => true) {}

  claim(wanted: string, distinct: string): string {
    for (const candidate of [wanted, `${wanted}${distinct}`]) {
      if (this.isValid(candidate) && !this.taken.has(candidate)) return this.take(candidate);
    }
    for (let n = 2; ; n++) {
      const candidate = `${wanted}${distinct}${n}`;
      if (!this.taken.has(candidate)) return this.take(candidate);
    }
  }

  private take(name: string): string {
    this.taken.add(name);
    return name;
  }
}

/** A name a module can declare with `export const`. */
export const isIdentifier = (name: string) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !reservedWords.has(name);

/**
 * A camelCase identifier from a prefix (a server's resource name), Postmark's name of the object and a suffix (the kind's
 * noun). A name with no letters or digits gives the noun alone; one that starts with a digit gets the noun in front.
 */
export function identifierFrom(prefix: string | undefined, name: string, noun: string, withNoun: boolean): string {
  const nounWords = wordsOf(noun);
  const nameWords = wordsOf(name);
  const words = [...(prefix ? [prefix] : []), ...(nameWords.length > 0 ? nameWords : nounWords), ...(withNoun && nameWords.length > 0 ? nounWords : [])];
  const identifier = camelCase(words);
  return /^[0-9]/.test(identifier) ? camelCase([...nounWords, ...words]) : identifier;
}
