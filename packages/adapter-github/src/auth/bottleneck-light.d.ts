// bottleneck ships types for its main entry only; the light build has the same API minus
// Redis clustering (which Hangar does not use).
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
