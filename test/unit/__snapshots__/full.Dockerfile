# datascience: rendered by imagesmith from images/datascience.yaml. Edit that file, not this one.
# base: quay.io/jupyter/base-notebook:2024-06-17
FROM quay.io/jupyter/base-notebook@sha256:abababababababababababababababababababababababababababababababab
ARG PIP_INDEX_URL="https://pypi.acme.internal/simple"
ARG PIP_TRUSTED_HOST="pypi.acme.internal"
ARG CONDA_CHANNEL_ALIAS="https://conda.acme.internal"
USER root
# apt: every package reaches apt-get as one argument ("$@"), never through a shell's parsing
RUN --mount=type=cache,id=imagesmith-apt,target=/var/cache/imagesmith/apt,sharing=locked ["/bin/sh", "-c", "c=/var/cache/imagesmith/apt && mkdir -p $c/lists/partial $c/archives/partial && o=\"-o Dir::State::Lists=$c/lists -o Dir::Cache::Archives=$c/archives -o APT::Keep-Downloaded-Packages=true\" && apt-get $o update && DEBIAN_FRONTEND=noninteractive apt-get $o install --yes --no-install-recommends -- \"$@\" && rm -rf /var/lib/apt/lists/*", "apt-get", \
     "git", \
     "vim=2:9.0.1378-2", \
     "libc6:amd64", \
     "openssh-client/bookworm-backports"]
# conda: every package reaches conda as one argument ("$@"), never through a shell's parsing
RUN --mount=type=cache,id=imagesmith-conda,target=/var/cache/imagesmith/conda,sharing=locked ["/bin/sh", "-c", "CONDA_PKGS_DIRS=/var/cache/imagesmith/conda conda install --yes --quiet -- \"$@\"", "conda", \
     "conda-forge::numpy==1.17*", \
     "scipy>=1.10,<2", \
     "pytorch[build=*cuda*]", \
     "numpy 1.8* py27_0"]
# pip: every package reaches pip as one argument ("$@"), never through a shell's parsing
RUN --mount=type=cache,id=imagesmith-pip,target=/var/cache/imagesmith/pip,sharing=shared ["/bin/sh", "-c", "unset PIP_NO_CACHE_DIR; pip install --cache-dir /var/cache/imagesmith/pip -- \"$@\"", "pip", \
     "numpy>=1.0", \
     "name; os_name == 'x'", \
     "requests[security]>=2.8.1", \
     "pkg @ https://example.com/a b$c.whl", \
     "x<2"]
USER 1000
LABEL io.imagesmith.base-image="quay.io/jupyter/base-notebook:2024-06-17" \
      io.imagesmith.image="datascience" \
      io.imagesmith.packages.apt="[\"git\",\"vim=2:9.0.1378-2\",\"libc6:amd64\",\"openssh-client/bookworm-backports\"]" \
      io.imagesmith.packages.conda="[\"-c conda-forge::numpy==1.17*\",\"scipy>=1.10,<2\",\"pytorch[build=*cuda*]\",\"numpy 1.8* py27_0\"]" \
      io.imagesmith.packages.pip="[\"numpy>=1.0\",\"name; os_name == 'x'\",\"requests[security]>=2.8.1\",\"pkg @ https://example.com/a b\$c.whl\",\"x<2\"]" \
      io.imagesmith.recipe-hash="6895a0de5f7c681b" \
      org.opencontainers.image.description="Notebook with \"quotes\", \$HOME and a \\ backslash" \
      org.opencontainers.image.revision="0123456789abcdef0123456789abcdef01234567" \
      org.opencontainers.image.source="https://github.com/acme/images" \
      org.opencontainers.image.title="datascience"
