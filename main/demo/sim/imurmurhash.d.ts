// imurmurhash ships no types. The one use: the MurmurHash3 (x86, 32-bit) flagd-core buckets users with.
declare module 'imurmurhash' {
  interface MurmurHash3 {
    hash(key: string): MurmurHash3;
    result(): number;
    reset(seed?: number): MurmurHash3;
  }
  const MurmurHash3: {
    new (key?: string, seed?: number): MurmurHash3;
    (key?: string, seed?: number): MurmurHash3;
  };
  export default MurmurHash3;
}
