// orval 7's fetch client calls fetch() with the operation's path alone ('/#func=...'), a relative URL
// that Node's fetch refuses: the workaround is `output.baseUrl`. orval 7 writes it into the generated
// code when it generates (a URL known only at run time needs a custom fetch mutator there; orval 8's
// `baseUrl.runtime` needs Node 22). The contract and the URL come from run.sh's environment.
module.exports = {
  zomro: {
    input: { target: process.env.CONTRACT },
    output: {
      target: 'client/api.ts',
      mode: 'single',
      client: 'fetch',
      baseUrl: process.env.ZOMRO_MOCK_URL,
    },
  },
};
