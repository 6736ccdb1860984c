const cds = require('@sap/cds')

module.exports = class DemoService extends cds.ApplicationService {
  init() {
    const { Products } = this.entities

    this.on('GetProductsByRating', (req) =>
      SELECT.from(Products).where({ Rating: req.data.rating }).orderBy('ID'))

    this.on('ResetRatings', async (req) => {
      const changed = await UPDATE(Products).set({ Rating: req.data.rating })
      return changed
    })

    this.on('Discontinue', Products, async (req) => {
      const { ID } = req.params[0]
      const changed = await UPDATE(Products, ID).set({
        IsAvailable: false,
        DiscontinuedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      })
      if (!changed) return req.reject(404, `Product ${ID} does not exist`)
      return SELECT.one.from(Products, ID)
    })

    return super.init()
  }
}
