# datascience: rendered by imagesmith from images/datascience.yaml. Edit that file, not this one.
# base: quay.io/jupyter/base-notebook:2024-06-17
FROM quay.io/jupyter/base-notebook@sha256:abababababababababababababababababababababababababababababababab
ARG PIP_INDEX_URL="https://pypi.acme.internal/simple"
ARG PIP_TRUSTED_HOST="pypi.acme.internal"
ARG CONDA_CHANNEL_ALIAS="https://conda.acme.internal"
USER root
# apt: every package reaches apt-get as one argument ("$@"), never through a shell's parsing
RUN ["/bin/sh", "-c", "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install --yes --no-install-recommends -- \"$@\" && apt-get clean && rm -rf /var/lib/apt/lists/*", "apt-get", \
     "git", \
     "vim=2:9.0.1378-2", \
     "libc6:amd64", \
     "openssh-client/bookworm-backports"]
# conda: every package reaches conda as one argument ("$@"), never through a shell's parsing
RUN ["/bin/sh", "-c", "conda install --yes --quiet -- \"$@\" && conda clean --all --force-pkgs-dirs --yes", "conda", \
     "conda-forge::numpy==1.17*", \
     "scipy>=1.10,<2", \
     "pytorch[build=*cuda*]", \
     "numpy 1.8* py27_0"]
# pip: every package reaches pip as one argument ("$@"), never through a shell's parsing
RUN ["/bin/sh", "-c", "pip install --no-cache-dir -- \"$@\"", "pip", \
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
      io.imagesmith.recipe-hash="d0dfc49aae0aa606" \
      org.opencontainers.image.description="Notebook with \"quotes\", \$HOME and a \\ backslash" \
      org.opencontainers.image.revision="0123456789abcdef0123456789abcdef01234567" \
      org.opencontainers.image.source="https://github.com/acme/images" \
      org.opencontainers.image.title="datascience"
