#!/bin/sh
# 市中区党建引领基层治理地图 @VERSION@ (linux-@ARCH@) 离线安装脚本：全程不访问网络。
#
#   ./install.sh --prefix DIR [--port PORT] [--service] [--python PYTHON]
#   ./install.sh --prefix DIR --rollback
#
# DIR 下的布局（升级时保留 state/ 与 etc/）：
#   versions/<版本>/  每个版本的程序（app/）与 Python 虚拟环境（venv/）
#   current           指向正在使用的版本；previous 记下上一个版本（回滚用）
#   state/            数据库与备份（SHIZHONG_STATE_DIR）
#   etc/secrets.toml  登录账号与密钥；etc/settings.env 设置（环境变量）
#   run               启动看板：DIR/run --port PORT
set -eu

VERSION="@VERSION@"
ARCH="@ARCH@"
PYTHONS="@PYTHONS@"
PIP_WHEEL="@PIP_WHEEL@"
SERVICE_NAME="shizhong-dashboard"
HERE=$(cd "$(dirname "$0")" && pwd)

say() { printf '%s\n' "$*"; }
fail() { printf '错误：%s\n' "$*" >&2; exit 1; }

usage() {
    say "用法：./install.sh --prefix 安装目录 [--port 端口] [--service] [--python Python路径]"
    say "      ./install.sh --prefix 安装目录 --rollback    回到上一个版本"
    say "  --prefix   安装目录（必填），例如 /opt/shizhong；升级时用同一目录，数据会保留"
    say "  --port     看板端口，写入 systemd 服务（默认 8501）"
    say "  --service  另写 systemd 服务文件 DIR/$SERVICE_NAME.service"
    say "  --python   指定 Python（3.11、3.12 或 3.13）；默认自动查找"
    say "  --rollback 回滚到上一个版本（不需要安装包）"
}

PREFIX=""
PORT=8501
SERVICE=0
ROLLBACK=0
PYTHON=""
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX="${2:-}"; shift 2 ;;
        --prefix=*) PREFIX="${1#*=}"; shift ;;
        --port) PORT="${2:-}"; shift 2 ;;
        --port=*) PORT="${1#*=}"; shift ;;
        --service) SERVICE=1; shift ;;
        --python) PYTHON="${2:-}"; shift 2 ;;
        --python=*) PYTHON="${1#*=}"; shift ;;
        --rollback) ROLLBACK=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; fail "不认识的参数：$1" ;;
    esac
done
[ -n "$PREFIX" ] || { usage >&2; fail "请用 --prefix 指定安装目录"; }
case "$PORT" in *[!0-9]*|"") fail "端口须是数字：$PORT" ;; esac
mkdir -p "$PREFIX"
PREFIX=$(cd "$PREFIX" && pwd)

# pip 只用本安装包里的文件：不读本机的 pip 配置（镜像源、约束文件），不访问网络。
for name in $(env | sed -n 's/^\(PIP_[A-Za-z_]*\)=.*/\1/p'); do unset "$name"; done
export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1

# 设置与数据位置：与 DIR/run 相同
load_settings() {
    if [ -f "$PREFIX/etc/settings.env" ]; then
        set -a
        # shellcheck disable=SC1091
        . "$PREFIX/etc/settings.env"
        set +a
    fi
    export SHIZHONG_STATE_DIR="$PREFIX/state"
}

# 在某个版本的目录里运行它的命令行（python -m geo ...）
geo_of() {
    version_dir="$1"; shift
    (cd "$version_dir/app" && MPLCONFIGDIR="$version_dir/mplconfig" \
        "$version_dir/venv/bin/python" -m geo "$@")
}

switch_to() {
    ln -sfn "versions/$1" "$PREFIX/current.new"
    mv -T "$PREFIX/current.new" "$PREFIX/current"
}

current_version() {
    if [ -L "$PREFIX/current" ]; then basename "$(readlink "$PREFIX/current")"; fi
}

# --- 回滚 ---------------------------------------------------------------------------------
if [ "$ROLLBACK" = 1 ]; then
    NOW=$(current_version)
    [ -n "$NOW" ] || fail "$PREFIX 下没有已安装的版本"
    [ -f "$PREFIX/previous" ] || fail "没有可回滚的上一个版本（只装过一个版本）"
    BACK=$(cat "$PREFIX/previous")
    [ -d "$PREFIX/versions/$BACK" ] || fail "上一个版本 $BACK 的目录已不在：$PREFIX/versions/$BACK"
    load_settings
    HEAD=$(cat "$PREFIX/versions/$BACK/SCHEMA_HEAD")
    if [ "$HEAD" != "$(cat "$PREFIX/current/SCHEMA_HEAD")" ]; then
        say "正在把数据库结构退回到 $BACK 的版本（$HEAD），数据保留……"
        geo_of "$PREFIX/current" upgrade --downgrade "$HEAD" || fail "数据库结构回退失败，仍在使用 $NOW"
    fi
    switch_to "$BACK"
    printf '%s\n' "$NOW" > "$PREFIX/previous"
    say "已回滚：$NOW → $BACK。重新启动看板后生效（systemctl restart $SERVICE_NAME，或重新运行 $PREFIX/run）。"
    exit 0
fi

# --- 1. 校验安装包 ------------------------------------------------------------------------
say "市中区党建地图 $VERSION（$ARCH）离线安装"
MACHINE=$(uname -m)
case "$MACHINE" in
    x86_64|amd64) [ "$ARCH" = x86_64 ] || fail "本机是 x86_64，这个安装包是 $ARCH 的：请用 linux-x86_64 的安装包" ;;
    aarch64|arm64) [ "$ARCH" = aarch64 ] || fail "本机是 ARM64（aarch64），这个安装包是 $ARCH 的：请用 linux-aarch64 的安装包" ;;
esac
command -v sha256sum >/dev/null 2>&1 || fail "找不到 sha256sum（coreutils），无法校验安装包"
say "校验文件（SHA-256）……"
(cd "$HERE" && sha256sum -c --quiet --strict SHA256SUMS) \
    || fail "安装包文件校验失败：文件不全或已损坏，请重新拷贝安装包"

# --- 2. 找 Python（3.11 及以上，本安装包带 $PYTHONS 的轮子）-----------------------------------
# 可用：本安装包带了它那个版本的轮子（$PYTHONS）
python_ok() {
    found_version=$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || return 1
    case " $PYTHONS " in *" $found_version "*) return 0 ;; esac
    return 1
}
if [ -n "$PYTHON" ]; then
    python_ok "$PYTHON" || fail "$PYTHON 不是 Python $PYTHONS 之一（本安装包只带这些版本的依赖）"
else
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$(command -v "$candidate")"; then
            PYTHON=$(command -v "$candidate")
            break
        fi
    done
fi
if [ -z "$PYTHON" ]; then
    FOUND=$(python3 --version 2>/dev/null || true)
    {
        say "错误：没有找到 Python $PYTHONS（任一版本即可）。${FOUND:+本机的 python3 是 $FOUND，不能用。}"
        say "请先从操作系统自带的软件源安装 Python 3.11（不需要外网，内网软件源即可），然后重新运行本脚本："
        say "  银河麒麟 Kylin V10：  sudo yum install -y python3.11    （或 sudo dnf install -y python3.11）"
        say "  统信 UOS 20：         sudo apt install -y python3.11"
        say "  装好后也可以用 --python /usr/bin/python3.11 指定。"
    } >&2
    exit 1
fi
PY_VERSION=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
say "使用 $PYTHON（Python $PY_VERSION）"

# --- 3. 安装这个版本 ----------------------------------------------------------------------
STARTED=$(date +%s)
mkdir -p "$PREFIX/versions" "$PREFIX/state" "$PREFIX/etc"
OLD=$(current_version)
TARGET="$PREFIX/versions/$VERSION"
if [ "$OLD" = "$VERSION" ]; then
    say "重新安装 $VERSION（数据保留）"
fi
rm -rf "$TARGET.partial"
mkdir -p "$TARGET.partial"
cp -R "$HERE/app" "$HERE/fonts" "$HERE/install.sh" "$HERE/VERSION" "$TARGET.partial/"
if [ "$OLD" = "$VERSION" ]; then
    rm -rf "$TARGET.replaced"; mv "$TARGET" "$TARGET.replaced"
fi
rm -rf "$TARGET"
mv "$TARGET.partial" "$TARGET"
say "创建 Python 虚拟环境……"
"$PYTHON" -m venv --without-pip "$TARGET/venv" || fail "无法创建虚拟环境（$PYTHON -m venv）"
VENV_PY="$TARGET/venv/bin/python"
"$VENV_PY" "$HERE/wheels/$PIP_WHEEL/pip" install --quiet --no-index --find-links "$HERE/wheels" pip \
    || fail "无法在虚拟环境里安装 pip"
say "安装依赖（离线，$(ls "$HERE/wheels" | wc -l) 个轮子里挑本机可用的）……"
"$VENV_PY" -m pip install --quiet --no-index --find-links "$HERE/wheels" --require-hashes \
    --no-deps --only-binary=:all: -r "$TARGET/app/requirements.txt" \
    || fail "依赖安装失败（见上方 pip 的信息）；没有改动正在使用的版本"
SITE=$("$VENV_PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
printf '%s\n' "$TARGET/app" > "$SITE/shizhong-app.pth"

# 地图图片的中文字体：放进 matplotlib 自带的字体目录，matplotlib 直接就能找到
MPL_FONTS=$("$VENV_PY" -c 'import matplotlib, os; print(os.path.join(matplotlib.get_data_path(), "fonts", "ttf"))')
cp "$TARGET"/fonts/*.tt* "$MPL_FONTS/"
mkdir -p "$TARGET/mplconfig"

# 设置与密钥放在 etc/，各版本共用
if [ ! -f "$PREFIX/etc/settings.env" ]; then
    cat > "$PREFIX/etc/settings.env" <<'EOF'
# 市中区党建地图的设置：每行一个环境变量（见 README「Settings」），升级时保留。
# DATABASE_URL=postgresql://user@127.0.0.1/shizhong   # 不设则用 state/ 下的 SQLite
# SHIZHONG_BASEMAP=none          # 默认底图：none（无底图）、tianditu_vec、tianditu_img、custom……
# SHIZHONG_TIANDITU_TOKEN=       # 天地图密钥（政务内网的天地图服务）
# SHIZHONG_READ_ONLY=1           # 只读：不允许编辑
EOF
fi
if [ -n "$OLD" ] && [ -f "$PREFIX/versions/$OLD/app/.streamlit/secrets.toml" ] \
    && [ ! -L "$PREFIX/versions/$OLD/app/.streamlit/secrets.toml" ] && [ ! -e "$PREFIX/etc/secrets.toml" ]; then
    cp -p "$PREFIX/versions/$OLD/app/.streamlit/secrets.toml" "$PREFIX/etc/secrets.toml"
fi
ln -sfn "$PREFIX/etc/secrets.toml" "$TARGET/app/.streamlit/secrets.toml"
(cd "$TARGET/app" && "$VENV_PY" -c 'from alembic.script import ScriptDirectory; print(ScriptDirectory("migrations").get_current_head())') \
    > "$TARGET/SCHEMA_HEAD"

# --- 4. 数据：备份，迁移数据库结构，带入随版本发布的数据更正 ---------------------------------
load_settings
if [ -n "$OLD" ] && [ "$OLD" != "$VERSION" ] && [ -d "$PREFIX/versions/$OLD/venv" ]; then
    say "升级前备份数据（$OLD）……"
    geo_of "$PREFIX/versions/$OLD" backup || fail "升级前备份失败；没有改动正在使用的版本"
fi
say "迁移数据库并带入发布的数据更正……"
if ! geo_of "$TARGET" upgrade; then
    rm -rf "$TARGET"
    if [ -d "$TARGET.replaced" ]; then mv "$TARGET.replaced" "$TARGET"; fi
    fail "数据升级失败；仍在使用原来的版本 ${OLD:-（无）}"
fi
rm -rf "$TARGET.replaced"

# --- 5. 切换到新版本，写启动脚本 ---------------------------------------------------------------
switch_to "$VERSION"
if [ -n "$OLD" ] && [ "$OLD" != "$VERSION" ]; then
    printf '%s\n' "$OLD" > "$PREFIX/previous"
fi
# 只留当前和上一个版本
KEEP_PREVIOUS=$(cat "$PREFIX/previous" 2>/dev/null || true)
for dir in "$PREFIX"/versions/*; do
    name=$(basename "$dir")
    [ "$name" = "$VERSION" ] || [ "$name" = "$KEEP_PREVIOUS" ] || rm -rf "$dir"
done

cat > "$PREFIX/run" <<EOF
#!/bin/sh
# 启动市中区党建地图看板：$PREFIX/run --port 8501 [--address 0.0.0.0]
# 运行命令行工具：$PREFIX/run geo COMMAND ...（例如 geo backup、geo add-editor NAME）
set -eu
PREFIX="$PREFIX"
EOF
cat >> "$PREFIX/run" <<'EOF'
PORT=8501
ADDRESS=0.0.0.0
if [ -f "$PREFIX/etc/settings.env" ]; then set -a; . "$PREFIX/etc/settings.env"; set +a; fi
export SHIZHONG_STATE_DIR="$PREFIX/state"
export MPLCONFIGDIR="$PREFIX/current/mplconfig"
cd "$PREFIX/current/app"
if [ "${1:-}" = geo ]; then
    shift
    exec "$PREFIX/current/venv/bin/python" -m geo "$@"
fi
while [ $# -gt 0 ]; do
    case "$1" in
        --port) PORT="$2"; shift 2 ;;
        --port=*) PORT="${1#*=}"; shift ;;
        --address) ADDRESS="$2"; shift 2 ;;
        --address=*) ADDRESS="${1#*=}"; shift ;;
        *) echo "用法：$0 --port 端口 [--address 地址]" >&2; exit 2 ;;
    esac
done
exec "$PREFIX/current/venv/bin/python" -m streamlit run app.py \
    --server.port "$PORT" --server.address "$ADDRESS" --server.headless true \
    --browser.gatherUsageStats false
EOF
chmod 755 "$PREFIX/run"

if [ "$SERVICE" = 1 ]; then
    cat > "$PREFIX/$SERVICE_NAME.service" <<EOF
[Unit]
Description=市中区党建引领基层治理地图 (Shizhong dashboard)
After=network.target

[Service]
Type=simple
ExecStart=$PREFIX/run --port $PORT
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
EOF
    say "已写 systemd 服务文件：$PREFIX/$SERVICE_NAME.service。启用方法（root）："
    say "  cp $PREFIX/$SERVICE_NAME.service /etc/systemd/system/ && systemctl daemon-reload"
    say "  systemctl enable --now $SERVICE_NAME"
fi

SECONDS_TAKEN=$(( $(date +%s) - STARTED ))
say "安装完成：$VERSION（Python $PY_VERSION，用时 ${SECONDS_TAKEN} 秒）。"
[ -n "$OLD" ] && [ "$OLD" != "$VERSION" ] && say "上一个版本 $OLD 仍保留，可用 ./install.sh --prefix $PREFIX --rollback 回滚。"
say "启动看板：$PREFIX/run --port $PORT"
