# Sourced by .ci/run: finds a JDK 21+ (Helidon 4 and jOOQ 3.21 need it). Bash 3.2 compatible.

# The value of the system property $2 as the java binary $1 reports it; nothing if it does not run.
java_property() {
    "$1" -XshowSettings:properties -version 2>&1 | sed -n "s/^ *$2 = //p" | head -n 1
}

# The major version of the java binary $1: 8 for "1.8", 21 for "21". Fails if it reports none.
java_major() {
    local spec
    spec=$(java_property "$1" java.specification.version) || return 1
    spec=${spec#1.}
    spec=${spec%%.*}
    [[ $spec =~ ^[0-9]+$ ]] || return 1
    printf '%s\n' "$spec"
}

# The home of the java on PATH (its java.home), or nothing when there is none.
path_java_home() {
    local java
    java=$(command -v java) || return 0
    java_property "$java" java.home || true
}

# Prints the first of the given homes that holds a JDK 21+ (java and javac). Empty arguments, repeats and paths
# without a java (a glob that matched nothing) are skipped. Fails, saying what it found, when none qualifies.
select_jdk() {
    local home major found="" seen="|"
    for home in "$@"; do
        [[ -n $home && -x $home/bin/java && $seen != *"|$home|"* ]] || continue
        seen="$seen$home|"
        major=$(java_major "$home/bin/java") || major=""
        if [[ -n $major ]] && (( major >= 21 )) && [[ -x $home/bin/javac ]]; then
            printf '%s\n' "$home"
            return 0
        fi
        found="$found
  $home: Java ${major:-of unknown version}$([[ -x $home/bin/javac ]] || printf ', no javac (not a JDK)')"
    done
    printf 'No JDK 21 or newer found (Helidon 4 and jOOQ 3.21 need one). Set JAVA_HOME to one.%s\n' \
        "${found:+ Found:$found}" >&2
    return 1
}
