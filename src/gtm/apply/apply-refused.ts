/** An apply that must not go ahead; nothing was written when this is thrown before the first write. */
export class ApplyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ApplyRefused";
  }
}
