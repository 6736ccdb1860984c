// Writes the seed CSV files in db/data/ (deterministic: run again, same files).
// node tools/generate-data.js
const fs = require('fs')
const path = require('path')

let seed = 20261121
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
const pick = (list) => list[Math.floor(random() * list.length)]
const dataDir = path.join(__dirname, '..', 'db', 'data')

function csv(entity, header, rows) {
  const cell = (v) => (v === null || v === undefined ? '' : /[;"\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))
  const text = [header.join(';'), ...rows.map((r) => r.map(cell).join(';'))].join('\n') + '\n'
  fs.writeFileSync(path.join(dataDir, `demo-${entity}.csv`), text)
}

const categories = ['Beverages', 'Dairy', 'Bakery', 'Produce', 'Pantry', 'Frozen', 'Household', 'Snacks']
csv('Categories', ['ID', 'Name'], categories.map((n, i) => [i + 1, n]))

const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('')
const cities = [['Lisbon', 'PT'], ['Berlin', 'DE'], ['Lyon', 'FR'], ['Kraków', 'PL'], ['Seattle', 'US'], ['Osaka', 'JP']]
const suppliers = []
for (let i = 0; i < 20; i++) {
  const id = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`
  const [city, country] = pick(cities)
  const withAddress = i % 7 !== 3
  suppliers.push([id, `Supplier ${String.fromCharCode(65 + i)}${i === 4 ? " O'Neil & Sons" : ''}`,
    withAddress ? `${1 + Math.floor(random() * 200)} Market Street` : null,
    withAddress ? city : null, withAddress ? String(10000 + Math.floor(random() * 89999)) : null,
    withAddress ? country : null,
    i % 2 === 0 ? JSON.stringify([{ Name: `Contact ${i}`, Email: `contact${i}@example.com`, Phone: `+1 555 01${String(i).padStart(2, '0')}` }]) : null])
}
csv('Suppliers', ['ID', 'Name', 'Address_Street', 'Address_City', 'Address_PostalCode', 'Address_Country', 'Contacts'], suppliers)

// Codes that need care in a URL: slash, quote, hash, space, non-ASCII, percent, plus.
const tags = [['organic', 'Organic'], ['fair/trade', 'Fair trade'], ["chef's pick", "Chef's pick"],
  ['c#', 'C sharp'], ['über', 'Über'], ['50%', 'Half price'], ['a+b', 'Bundle'], ['new', 'New']]
csv('Tags', ['Code', 'Name'], tags)

const adjectives = ['Fresh', 'Golden', 'Smoky', 'Crisp', 'Creamy', 'Spicy', 'Sweet', 'Zesty', 'Rustic', 'Velvet']
const nouns = ['Milk', 'Bread', 'Coffee', 'Tea', 'Cheese', 'Apples', 'Honey', 'Pasta', 'Soap', 'Chips', 'Juice', 'Butter']
const products = []
const productTags = []
for (let id = 1; id <= 600; id++) {
  let name = `${pick(adjectives)} ${pick(nouns)} ${id}`
  if (id === 7) name = "O'Neil's Milk"
  if (id === 8) name = 'Café Crème'
  if (id === 9) name = '50% Off / Special #1'
  const day = 1 + Math.floor(random() * 3000)
  const release = new Date(Date.UTC(2015, 0, 1) + day * 86400000).toISOString().slice(0, 10)
  const discontinued = id % 9 === 0
    ? new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 600 * 86400) * 1000).toISOString().replace(/\.\d+Z$/, 'Z')
    : null
  products.push([id, name, id % 5 === 0 ? null : `Product number ${id}`,
    (0.5 + random() * 99).toFixed(2), id % 11 === 0 ? null : 1 + Math.floor(random() * 5),
    id === 1 ? '9007199254740992' : String(Math.floor(random() * 5000)), id % 9 !== 0,
    release, discontinued, 1 + (id % categories.length), suppliers[id % suppliers.length][0]])
  const tagCount = id % 3
  for (let t = 0; t < tagCount; t++) {
    productTags.push([id, tags[(id + t * 3) % tags.length][0], release])
  }
}
csv('Products', ['ID', 'Name', 'Description', 'Price', 'Rating', 'Stock', 'IsAvailable', 'ReleaseDate',
  'DiscontinuedAt', 'Category_ID', 'Supplier_ID'], products)
csv('ProductTags', ['Product_ID', 'Tag_Code', 'AddedOn'], productTags)

const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
csv('Pictures', ['ID', 'Caption', 'Content', 'ContentType', 'FileName'], [
  [1, 'A red pixel', pixel, 'image/png', 'pixel.png'],
  [2, 'Release notes', Buffer.from('Release notes of the demo catalogue.\n').toString('base64'), 'text/plain', 'notes.txt'],
  [3, 'No content yet', null, null, null],
])
