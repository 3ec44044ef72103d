// Structural copies of botbuilder's storage contract. storage/ does not import botbuilder
// (see DESIGN.md); these shapes are assignable to botbuilder's `Storage`, so
// `new ConversationState(new DiskStorage())` type-checks at the edge.

export interface StoreItem {
  eTag?: string;
  [key: string]: unknown;
}

export interface StoreItems {
  // `any`, as in botbuilder: state objects are read back into arbitrary shapes.
  [key: string]: any;
}

export interface Storage {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
}
