/**
 * Everything the model could not know for certain is written down here, once, with the resource it
 * came from. A check whose answer depends on one of these reports "unknown" and names it.
 */

/** A template resource, as reports name it. */
export interface ResourceRef {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly file: string;
}

export interface Assumption {
  /** `A1`, `A2`, ... in the order they were met. */
  readonly id: string;
  readonly text: string;
  readonly resource: ResourceRef | undefined;
}

export class Assumptions {
  private readonly byText = new Map<string, Assumption>();

  /** Records an assumption (once per text and resource) and returns its id. */
  public add(text: string, resource?: ResourceRef): string {
    const key = `${resource ? `${resource.stack}/${resource.logicalId}` : ''}|${text}`;
    let found = this.byText.get(key);
    if (!found) {
      found = { id: `A${this.byText.size + 1}`, text, resource };
      this.byText.set(key, found);
    }
    return found.id;
  }

  public get all(): readonly Assumption[] {
    return [...this.byText.values()];
  }

  public get(id: string): Assumption | undefined {
    return this.all.find((a) => a.id === id);
  }
}
