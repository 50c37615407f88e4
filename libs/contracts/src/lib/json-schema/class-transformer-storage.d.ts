// class-transformer ships the runtime of its metadata storage under cjs/ and
// its types under types/; the schema generator needs that storage to follow @Type().
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
