# The command line: train the default VAE on the default data set (the paper's PCA data), then a VAE-1 on
# the circle data on wasm. Each run writes metrics.json and the trained model under runs/.
npx trientropy train --epochs 2
npx trientropy train --model vae-1 --data synthetic:circle --backend wasm --epochs 2
npx trientropy doctor
