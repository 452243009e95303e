// The visualizations ship no typings: each default export is a nebula supernova factory.
declare module '@nebula.js/sn-bar-chart' {
  const supernova: unknown;
  export default supernova;
}
declare module '@nebula.js/sn-table' {
  const supernova: unknown;
  export default supernova;
}
